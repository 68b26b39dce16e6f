// Stand-in for android.net.Uri so the demo app runs on a plain JVM.
package android.net;

/** Immutable URI reference. As on Android, Uri is abstract and parse() returns a subclass. */
public abstract class Uri {
    Uri() {
    }

    public static Uri parse(String uriString) {
        if (uriString == null) {
            throw new NullPointerException("uriString");
        }
        return new StringUri(uriString);
    }

    public abstract String getScheme();

    public abstract String getAuthority();

    public abstract String getPath();

    @Override
    public abstract String toString();

    @Override
    public boolean equals(Object o) {
        return o instanceof Uri && toString().equals(o.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** Uri parsed lazily from its string form, like Android's private Uri$StringUri. */
    private static final class StringUri extends Uri {
        private final String uriString;

        StringUri(String uriString) {
            this.uriString = uriString;
        }

        @Override
        public String getScheme() {
            int colon = uriString.indexOf(':');
            return colon > 0 ? uriString.substring(0, colon) : null;
        }

        @Override
        public String getAuthority() {
            int start = authorityStart();
            return start < 0 ? null : uriString.substring(start, authorityEnd(start));
        }

        @Override
        public String getPath() {
            int start = authorityStart();
            int pathStart = start < 0 ? uriString.indexOf(':') + 1 : authorityEnd(start);
            int pathEnd = pathStart;
            while (pathEnd < uriString.length() && "?#".indexOf(uriString.charAt(pathEnd)) < 0) {
                pathEnd++;
            }
            return uriString.substring(pathStart, pathEnd);
        }

        @Override
        public String toString() {
            return uriString;
        }

        /** Returns the index after "scheme://", or -1 when the URI has no authority. */
        private int authorityStart() {
            int colon = uriString.indexOf(':');
            if (colon < 0 || !uriString.startsWith("//", colon + 1)) {
                return -1;
            }
            return colon + 3;
        }

        private int authorityEnd(int start) {
            int end = start;
            while (end < uriString.length() && "/?#".indexOf(uriString.charAt(end)) < 0) {
                end++;
            }
            return end;
        }
    }
}
