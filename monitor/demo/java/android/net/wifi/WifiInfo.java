// Stand-in for android.net.wifi.WifiInfo so the demo app runs on a plain JVM.
package android.net.wifi;

/**
 * Connection facts as Android 10 reports them to an app without LOCAL_MAC_ADDRESS or
 * location permission: MAC, BSSID and SSID are redacted placeholders.
 */
public class WifiInfo {
    static final String DEFAULT_MAC_ADDRESS = "02:00:00:00:00:00";
    static final String UNKNOWN_SSID = "<unknown ssid>";

    WifiInfo() {
    }

    public String getMacAddress() {
        return DEFAULT_MAC_ADDRESS;
    }

    public String getBSSID() {
        return DEFAULT_MAC_ADDRESS;
    }

    public String getSSID() {
        return UNKNOWN_SSID;
    }

    public int getRssi() {
        return -58;
    }
}
