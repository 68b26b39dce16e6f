// Stand-in for android.util.AndroidException so the demo app runs on a plain JVM.
package android.util;

public class AndroidException extends Exception {
    public AndroidException() {
    }

    public AndroidException(String name) {
        super(name);
    }
}
