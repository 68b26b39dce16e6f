// Stand-in for android.net.wifi.ScanResult so the demo app runs on a plain JVM.
package android.net.wifi;

/** One access point from a Wi-Fi scan. */
public class ScanResult {
    public String SSID;
    public String BSSID;

    public ScanResult() {
    }

    @Override
    public String toString() {
        return "SSID: " + SSID + ", BSSID: " + BSSID;
    }
}
