// Stand-in for android.content.ComponentName so the demo app runs on a plain JVM.
package android.content;

public final class ComponentName {
    private final String mPackage;
    private final String mClass;

    public ComponentName(String pkg, String cls) {
        if (pkg == null) {
            throw new NullPointerException("package name is null");
        }
        if (cls == null) {
            throw new NullPointerException("class name is null");
        }
        mPackage = pkg;
        mClass = cls;
    }

    public ComponentName(Context pkg, String cls) {
        this(pkg.getPackageName(), cls);
    }

    public ComponentName(Context pkg, Class<?> cls) {
        this(pkg.getPackageName(), cls.getName());
    }

    public String getPackageName() {
        return mPackage;
    }

    public String getClassName() {
        return mClass;
    }

    /** Returns the class name, shortened to ".Name" when it starts with the package name. */
    public String getShortClassName() {
        if (mClass.startsWith(mPackage) && mClass.length() > mPackage.length()
                && mClass.charAt(mPackage.length()) == '.') {
            return mClass.substring(mPackage.length());
        }
        return mClass;
    }

    public String flattenToString() {
        return mPackage + "/" + mClass;
    }

    public String flattenToShortString() {
        return mPackage + "/" + getShortClassName();
    }

    public String toShortString() {
        return "{" + flattenToShortString() + "}";
    }

    @Override
    public String toString() {
        return "ComponentInfo{" + flattenToString() + "}";
    }

    @Override
    public boolean equals(Object obj) {
        if (!(obj instanceof ComponentName)) {
            return false;
        }
        ComponentName other = (ComponentName) obj;
        return mPackage.equals(other.mPackage) && mClass.equals(other.mClass);
    }

    @Override
    public int hashCode() {
        return mPackage.hashCode() + mClass.hashCode();
    }
}
