package com.example.demoapp.shell;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stdout side of the driver protocol. A machine-readable line is PREFIX followed by one JSON
 * object whose "event" key names the event. Every other stdout line is text for people.
 */
public final class Protocol {
    public static final String PREFIX = "@privmon-demo ";

    private Protocol() {
    }

    /** Replaces System.out with a UTF-8 stream that flushes each line, whatever the locale. */
    public static void installStdout() {
        PrintStream out = new PrintStream(
                new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(out);
    }

    /** Prints an event whose fields are given as alternating keys and values. */
    public static void event(String name, Object... fields) {
        if (fields.length % 2 != 0) {
            throw new IllegalArgumentException("fields must alternate keys and values");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", name);
        for (int i = 0; i < fields.length; i += 2) {
            body.put((String) fields[i], fields[i + 1]);
        }
        System.out.println(PREFIX + Json.write(body));
    }

    /** Prints an "error" event naming the stdin command that failed. */
    public static void error(String command, String message) {
        event("error", "command", command, "message", message, "time_ms", now());
    }

    /** Prints a line for people reading the output. */
    public static void say(String text) {
        System.out.println(text);
    }

    /** Returns device time in milliseconds since the epoch, the clock of every event. */
    public static long now() {
        return System.currentTimeMillis();
    }
}
