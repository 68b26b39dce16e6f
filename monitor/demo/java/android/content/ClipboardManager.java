// Stand-in for android.content.ClipboardManager so the demo app runs on a plain JVM.
package android.content;

/**
 * Concrete as on Android. getPrimaryClip, getPrimaryClipDescription and hasPrimaryClip each
 * make their own binder call; the deprecated getText() calls getPrimaryClip(). The demo app
 * has input focus, so the clip is readable.
 */
public class ClipboardManager {
    private static final ClipData CLIP = ClipData.newPlainText("code", "482913");

    /** Hidden on Android, where apps get the manager from getSystemService("clipboard"). */
    public ClipboardManager(Context context) {
    }

    public ClipData getPrimaryClip() {
        return CLIP;
    }

    public ClipDescription getPrimaryClipDescription() {
        return CLIP.getDescription();
    }

    public boolean hasPrimaryClip() {
        return true;
    }

    @Deprecated
    public CharSequence getText() {
        ClipData clip = getPrimaryClip();
        return clip == null ? null : clip.getText();
    }
}
