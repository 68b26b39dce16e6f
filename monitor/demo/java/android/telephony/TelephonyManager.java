// Stand-in for android.telephony.TelephonyManager so the demo app runs on a plain JVM.
package android.telephony;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import android.content.Context;
import android.os.Process;

/**
 * Telephony facts as Android 10 (API 29) reports them to a non-privileged app that targets
 * API 29. The device identifiers throw SecurityException. The phone number is readable
 * because the demo models an app that has the READ_PHONE_NUMBERS permission.
 */
public class TelephonyManager {
    private static final int DEFAULT_SLOT_INDEX = 0;
    private static final int DEFAULT_SUBSCRIPTION_ID = 1;
    private static final String LINE1_NUMBER = "+15555215554";

    /** Hidden on Android, where apps get the manager from getSystemService("phone"). */
    public TelephonyManager(Context context) {
    }

    @Deprecated
    public String getDeviceId() {
        throw deviceIdentifierDenied("getDeviceId");
    }

    @Deprecated
    public String getDeviceId(int slotIndex) {
        throw deviceIdentifierDenied("getDeviceId");
    }

    public String getImei() {
        return getImei(getSlotIndex());
    }

    public String getImei(int slotIndex) {
        throw deviceIdentifierDenied("getImeiForSlot");
    }

    public String getMeid() {
        return getMeid(getSlotIndex());
    }

    public String getMeid(int slotIndex) {
        throw deviceIdentifierDenied("getMeidForSlot");
    }

    public String getSubscriberId() {
        return getSubscriberId(getSubId());
    }

    /** Hidden on Android. */
    public String getSubscriberId(int subId) {
        throw deviceIdentifierDenied("getSubscriberId");
    }

    public String getSimSerialNumber() {
        return getSimSerialNumber(getSubId());
    }

    /** Hidden on Android. */
    public String getSimSerialNumber(int subId) {
        throw deviceIdentifierDenied("getIccSerialNumber");
    }

    public String getLine1Number() {
        return getLine1Number(getSubId());
    }

    /** Hidden on Android. */
    public String getLine1Number(int subId) {
        return LINE1_NUMBER;
    }

    /** Deprecated; needs ACCESS_FINE_LOCATION, which the demo app holds. */
    @Deprecated
    public CellLocation getCellLocation() {
        return null;
    }

    public List<CellInfo> getAllCellInfo() {
        List<CellInfo> cells = new ArrayList<>();
        cells.add(new CellInfo(40_961));
        return cells;
    }

    /** Delivers the current cells to the callback on the executor. */
    public void requestCellInfoUpdate(Executor executor, CellInfoCallback callback) {
        // On Android a separate binder call; it does not go through getAllCellInfo().
        List<CellInfo> cells = new ArrayList<>();
        cells.add(new CellInfo(40_961));
        executor.execute(() -> callback.onCellInfo(cells));
    }

    /** Receives requestCellInfoUpdate results. */
    public abstract static class CellInfoCallback {
        public CellInfoCallback() {
        }

        public abstract void onCellInfo(List<CellInfo> cellInfo);
    }

    private int getSlotIndex() {
        return DEFAULT_SLOT_INDEX;
    }

    private int getSubId() {
        return DEFAULT_SUBSCRIPTION_ID;
    }

    /**
     * Builds the exception for a device identifier read without privilege. The message follows
     * app logs from Android 10 devices, such as "getImeiForSlot: The user 10191 does not meet
     * the requirements to access device identifiers." Later versions say "The uid".
     */
    private static SecurityException deviceIdentifierDenied(String operation) {
        return new SecurityException(operation + ": The user " + Process.myUid()
                + " does not meet the requirements to access device identifiers.");
    }
}
