package com.example.demoapp.shell;

/** Command-line options of the demo app. */
public final class DemoOptions {
    public static final String USAGE = String.join("\n",
            "usage: java -cp CLASSES com.example.demoapp.Main [--interval-ms N]"
                    + " [--consent agree|refuse|wait] [--consent-delay-ms N] [--catalog]",
            "  --interval-ms N       pause between location polls, in ms (default 800)",
            "  --consent MODE        agree or refuse decides the privacy dialog automatically;"
                    + " wait (default) waits for a stdin command",
            "  --consent-delay-ms N  with agree or refuse, time from showing the dialog to the"
                    + " decision, in ms (default 3000)",
            "  --catalog             also install a content provider and, after agreeing, call"
                    + " one API of each hooked area and load an SDK class on a new class loader",
            "stdin commands: dump, tap-text TEXT, tap-id ID, tap-point X Y, back, wait-exit");

    public final long intervalMs;
    public final String consent;
    public final long consentDelayMs;
    public final boolean help;
    public final boolean catalog;

    private DemoOptions(long intervalMs, String consent, long consentDelayMs, boolean help,
            boolean catalog) {
        this.intervalMs = intervalMs;
        this.consent = consent;
        this.consentDelayMs = consentDelayMs;
        this.help = help;
        this.catalog = catalog;
    }

    /** Parses "--name value" and "--name=value" forms, or throws IllegalArgumentException. */
    public static DemoOptions parse(String[] args) {
        long intervalMs = 800;
        String consent = "wait";
        long consentDelayMs = 3000;
        boolean help = false;
        boolean catalog = false;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value = null;
            int equals = name.indexOf('=');
            if (name.startsWith("--") && equals > 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (name.equals("-h") || name.equals("--help")) {
                help = true;
                continue;
            }
            if (name.equals("--catalog") && value == null) {
                catalog = true;
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + name);
                }
                value = args[++i];
            }
            switch (name) {
                case "--interval-ms":
                    intervalMs = parseMillis(name, value);
                    break;
                case "--consent":
                    consent = parseConsent(value);
                    break;
                case "--consent-delay-ms":
                    consentDelayMs = parseMillis(name, value);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new DemoOptions(intervalMs, consent, consentDelayMs, help, catalog);
    }

    /** Tells whether the command line, not a stdin command, makes the consent decision. */
    public boolean decidesAutomatically() {
        return !consent.equals("wait");
    }

    private static long parseMillis(String name, String value) {
        try {
            long millis = Long.parseLong(value);
            if (millis >= 0) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // Falls through to the error below, which names the option.
        }
        throw new IllegalArgumentException("invalid value for " + name + ": \"" + value
                + "\" (expected a whole number of milliseconds, 0 or more)");
    }

    private static String parseConsent(String value) {
        if (value.equals("agree") || value.equals("refuse") || value.equals("wait")) {
            return value;
        }
        throw new IllegalArgumentException("invalid value for --consent: \"" + value
                + "\" (expected agree, refuse or wait)");
    }
}
