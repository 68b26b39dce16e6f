// Stand-in for android.media.MediaRecorder so the demo app runs on a plain JVM.
package android.media;

/** Media capture. On Android start() and setAudioSource(int) are native methods. */
public class MediaRecorder {
    /** Audio sources, as in MediaRecorder.AudioSource. */
    public static final class AudioSource {
        public static final int MIC = 1;

        private AudioSource() {
        }
    }

    private int mAudioSource = -1;
    private boolean mStarted;

    public MediaRecorder() {
    }

    public void setAudioSource(int audioSource) {
        mAudioSource = audioSource;
    }

    public void start() {
        if (mAudioSource < 0) {
            throw new IllegalStateException("start called in an invalid state: 4");
        }
        mStarted = true;
    }

    public boolean isStarted() {
        return mStarted;
    }

    public void release() {
        mStarted = false;
    }
}
