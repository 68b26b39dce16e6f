// Stand-in for android.app.Application so the demo app runs on a plain JVM.
package android.app;

import android.content.Context;
import android.content.ContextWrapper;

public class Application extends ContextWrapper {
    public Application() {
        super(null);
    }

    /** Package-private on Android, where Instrumentation.newApplication calls it. */
    final void attach(Context context) {
        attachBaseContext(context);
    }

    public void onCreate() {
    }
}
