// Stand-in for android.view.ContextThemeWrapper so the demo app runs on a plain JVM.
package android.view;

import android.content.Context;
import android.content.ContextWrapper;

/** Context wrapper with a theme, of which the stand-in keeps only the resource id. */
public class ContextThemeWrapper extends ContextWrapper {
    private int mThemeResource;

    public ContextThemeWrapper() {
        super(null);
    }

    public ContextThemeWrapper(Context base, int themeResId) {
        super(base);
        mThemeResource = themeResId;
    }

    public void setTheme(int resid) {
        mThemeResource = resid;
    }

    /** Hidden on Android. */
    public int getThemeResId() {
        return mThemeResource;
    }
}
