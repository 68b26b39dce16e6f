// Stand-in for android.content.Intent so the demo app runs on a plain JVM.
package android.content;

import android.os.Bundle;

/** Intent with action, package, component, flags and extras, but no categories or data. */
public class Intent {
    public static final String ACTION_MAIN = "android.intent.action.MAIN";
    public static final int FLAG_ACTIVITY_NEW_TASK = 0x10000000;

    private String mAction;
    private String mPackage;
    private ComponentName mComponent;
    private int mFlags;
    private Bundle mExtras;

    public Intent() {
    }

    public Intent(String action) {
        mAction = action;
    }

    public Intent(Context packageContext, Class<?> cls) {
        mComponent = new ComponentName(packageContext, cls);
    }

    public String getAction() {
        return mAction;
    }

    public Intent setAction(String action) {
        mAction = action;
        return this;
    }

    public String getPackage() {
        return mPackage;
    }

    public Intent setPackage(String packageName) {
        mPackage = packageName;
        return this;
    }

    public ComponentName getComponent() {
        return mComponent;
    }

    public Intent setComponent(ComponentName component) {
        mComponent = component;
        return this;
    }

    public int getFlags() {
        return mFlags;
    }

    public Intent setFlags(int flags) {
        mFlags = flags;
        return this;
    }

    public Intent addFlags(int flags) {
        mFlags |= flags;
        return this;
    }

    public Intent putExtra(String name, String value) {
        extras().putString(name, value);
        return this;
    }

    public Intent putExtra(String name, String[] value) {
        extras().putStringArray(name, value);
        return this;
    }

    public Intent putExtra(String name, long value) {
        extras().putLong(name, value);
        return this;
    }

    public String getStringExtra(String name) {
        return mExtras == null ? null : mExtras.getString(name);
    }

    public String[] getStringArrayExtra(String name) {
        return mExtras == null ? null : mExtras.getStringArray(name);
    }

    public long getLongExtra(String name, long defaultValue) {
        return mExtras == null ? defaultValue : mExtras.getLong(name, defaultValue);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Intent {");
        if (mAction != null) {
            b.append(" act=").append(mAction);
        }
        if (mFlags != 0) {
            b.append(" flg=0x").append(Integer.toHexString(mFlags));
        }
        if (mPackage != null) {
            b.append(" pkg=").append(mPackage);
        }
        if (mComponent != null) {
            b.append(" cmp=").append(mComponent.flattenToShortString());
        }
        if (mExtras != null && !mExtras.isEmpty()) {
            b.append(" (has extras)");
        }
        return b.append(" }").toString();
    }

    private Bundle extras() {
        if (mExtras == null) {
            mExtras = new Bundle();
        }
        return mExtras;
    }
}
