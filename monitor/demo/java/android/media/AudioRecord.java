// Stand-in for android.media.AudioRecord so the demo app runs on a plain JVM.
package android.media;

/** Audio capture. The demo app holds RECORD_AUDIO, so recording starts. */
public class AudioRecord {
    public static final int RECORDSTATE_STOPPED = 1;
    public static final int RECORDSTATE_RECORDING = 3;
    private int mRecordingState = RECORDSTATE_STOPPED;

    public AudioRecord(int audioSource, int sampleRateInHz, int channelConfig, int audioFormat,
            int bufferSizeInBytes) {
    }

    public void startRecording() {
        mRecordingState = RECORDSTATE_RECORDING;
    }

    public void stop() {
        mRecordingState = RECORDSTATE_STOPPED;
    }

    public int getRecordingState() {
        return mRecordingState;
    }

    public void release() {
        mRecordingState = RECORDSTATE_STOPPED;
    }
}
