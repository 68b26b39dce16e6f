// Stand-in for android.util.AndroidRuntimeException so the demo app runs on a plain JVM.
package android.util;

public class AndroidRuntimeException extends RuntimeException {
    public AndroidRuntimeException(String name) {
        super(name);
    }
}
