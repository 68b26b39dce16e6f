// Stand-in for android.telephony.CellLocation so the demo app runs on a plain JVM.
package android.telephony;

/** Deprecated cell location; the stand-in has no fields. */
public abstract class CellLocation {
    public CellLocation() {
    }
}
