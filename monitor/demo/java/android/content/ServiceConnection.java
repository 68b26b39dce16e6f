// Stand-in for android.content.ServiceConnection so the demo app runs on a plain JVM.
package android.content;

import android.os.IBinder;

public interface ServiceConnection {
    void onServiceConnected(ComponentName name, IBinder service);

    void onServiceDisconnected(ComponentName name);
}
