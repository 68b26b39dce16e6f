// Stand-in for android.os.IBinder so the demo app runs on a plain JVM.
package android.os;

/** Binder handle. The stand-in needs only the type, for signatures that take a token. */
public interface IBinder {
}
