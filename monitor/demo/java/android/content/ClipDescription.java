// Stand-in for android.content.ClipDescription so the demo app runs on a plain JVM.
package android.content;

/** Metadata of a clip: its label and MIME types. */
public class ClipDescription {
    public static final String MIMETYPE_TEXT_PLAIN = "text/plain";
    private final CharSequence mLabel;

    public ClipDescription(CharSequence label, String[] mimeTypes) {
        mLabel = label;
    }

    public CharSequence getLabel() {
        return mLabel;
    }
}
