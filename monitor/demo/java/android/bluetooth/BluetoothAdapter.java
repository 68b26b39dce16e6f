// Stand-in for android.bluetooth.BluetoothAdapter so the demo app runs on a plain JVM.
package android.bluetooth;

/** Final as on Android. Without LOCAL_MAC_ADDRESS the address is the placeholder. */
public final class BluetoothAdapter {
    public static final String DEFAULT_MAC_ADDRESS = "02:00:00:00:00:00";
    private static final BluetoothAdapter DEFAULT = new BluetoothAdapter();

    private BluetoothAdapter() {
    }

    public static synchronized BluetoothAdapter getDefaultAdapter() {
        return DEFAULT;
    }

    public String getAddress() {
        return DEFAULT_MAC_ADDRESS;
    }
}
