// Stand-in for android.telephony.CellInfo so the demo app runs on a plain JVM.
package android.telephony;

/** One observed cell. */
public class CellInfo {
    private final int mCellId;

    /** Hidden on Android. */
    public CellInfo(int cellId) {
        mCellId = cellId;
    }

    @Override
    public String toString() {
        return "CellInfo{cid=" + mCellId + "}";
    }
}
