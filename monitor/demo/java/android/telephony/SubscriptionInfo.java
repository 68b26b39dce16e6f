// Stand-in for android.telephony.SubscriptionInfo so the demo app runs on a plain JVM.
package android.telephony;

/** One SIM subscription. Without privileged permissions the ICCID reads as "" (API 29+). */
public class SubscriptionInfo {
    private final String mIccId;

    /** Hidden on Android, where SubscriptionManager builds these. */
    public SubscriptionInfo(String iccId) {
        mIccId = iccId;
    }

    public String getIccId() {
        return mIccId;
    }
}
