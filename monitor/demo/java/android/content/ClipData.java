// Stand-in for android.content.ClipData so the demo app runs on a plain JVM.
package android.content;

/** A clipboard clip with one text item. */
public class ClipData {
    private final ClipDescription mDescription;
    private final CharSequence mText;

    public ClipData(ClipDescription description, CharSequence text) {
        mDescription = description;
        mText = text;
    }

    public static ClipData newPlainText(CharSequence label, CharSequence text) {
        return new ClipData(new ClipDescription(label,
                new String[] {ClipDescription.MIMETYPE_TEXT_PLAIN}), text);
    }

    public ClipDescription getDescription() {
        return mDescription;
    }

    /** Text of the first item. */
    public CharSequence getText() {
        return mText;
    }

    @Override
    public String toString() {
        return "ClipData { " + ClipDescription.MIMETYPE_TEXT_PLAIN + " }";
    }
}
