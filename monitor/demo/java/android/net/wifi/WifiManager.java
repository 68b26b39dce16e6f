// Stand-in for android.net.wifi.WifiManager so the demo app runs on a plain JVM.
package android.net.wifi;

import android.content.Context;

public class WifiManager {
    /** Hidden on Android, where apps get the manager from getSystemService("wifi"). */
    public WifiManager(Context context) {
    }

    /** Returns a new WifiInfo on each call, as Android does. Deprecated in API 31. */
    public WifiInfo getConnectionInfo() {
        return new WifiInfo();
    }
}
