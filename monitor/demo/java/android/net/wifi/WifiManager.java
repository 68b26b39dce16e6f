// Stand-in for android.net.wifi.WifiManager so the demo app runs on a plain JVM.
package android.net.wifi;

import android.os.WorkSource;
import java.util.ArrayList;
import java.util.List;
import android.content.Context;

public class WifiManager {
    /** Hidden on Android, where apps get the manager from getSystemService("wifi"). */
    public WifiManager(Context context) {
    }

    /** Returns a new WifiInfo on each call, as Android does. Deprecated in API 31. */
    public WifiInfo getConnectionInfo() {
        return new WifiInfo();
    }

    public List<ScanResult> getScanResults() {
        ScanResult result = new ScanResult();
        result.SSID = "CMCC-5G";
        result.BSSID = "a4:50:46:12:9b:c0";
        List<ScanResult> results = new ArrayList<>();
        results.add(result);
        return results;
    }

    /** Deprecated; calls the hidden startScan(WorkSource), as on Android. */
    @Deprecated
    public boolean startScan() {
        return startScan(null);
    }

    /** Hidden on Android. */
    public boolean startScan(WorkSource workSource) {
        return true;
    }
}
