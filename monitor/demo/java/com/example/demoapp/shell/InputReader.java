package com.example.demoapp.shell;

import android.os.Handler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Stdin side of the driver protocol, one command per line. The reply to "dump" is printed at
 * once, while taps, back and wait-exit run on the main thread in the order they arrive.
 */
public final class InputReader implements Runnable {
    /** Cause passed to the leave listener for the wait-exit command. */
    public static final String CAUSE_WAIT_EXIT = "wait-exit";
    /** Cause passed to the leave listener when stdin closes. */
    public static final String CAUSE_STDIN_CLOSED = "stdin-closed";

    private final DeviceScreen screen;
    private final Handler mainHandler;
    private final boolean leaveOnStdinClosed;

    private InputReader(DeviceScreen screen, Handler mainHandler, boolean leaveOnStdinClosed) {
        this.screen = screen;
        this.mainHandler = mainHandler;
        this.leaveOnStdinClosed = leaveOnStdinClosed;
    }

    /**
     * Starts reading on a daemon thread, so a stdin that never closes cannot keep the process
     * alive. With {@code leaveOnStdinClosed}, end of input counts as leaving the app.
     */
    public static void start(DeviceScreen screen, Handler mainHandler,
            boolean leaveOnStdinClosed) {
        Thread thread = new Thread(new InputReader(screen, mainHandler, leaveOnStdinClosed),
                "privmon-demo-input");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        BufferedReader in = new BufferedReader(
                new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = in.readLine()) != null) {
                handle(line.trim());
            }
        } catch (IOException e) {
            Protocol.say("input: reading stdin failed: " + e);
        }
        if (leaveOnStdinClosed) {
            post(CAUSE_STDIN_CLOSED, () -> screen.leave(CAUSE_STDIN_CLOSED));
        }
    }

    private void handle(String line) {
        if (line.isEmpty()) {
            return;
        }
        int space = line.indexOf(' ');
        String command = space < 0 ? line : line.substring(0, space);
        String argument = space < 0 ? "" : line.substring(space + 1).trim();
        switch (command) {
            case "dump":
                screen.dump();
                break;
            case "tap-text":
                postWithArgument(command, argument, () -> screen.tapText(argument));
                break;
            case "tap-id":
                postWithArgument(command, argument, () -> screen.tapId(argument));
                break;
            case "tap-point":
                postTapPoint(argument);
                break;
            case "back":
                post(command, screen::pressBack);
                break;
            case "wait-exit":
                post(command, () -> screen.leave(CAUSE_WAIT_EXIT));
                break;
            default:
                Protocol.error(command, "unknown command; expected dump, tap-text, tap-id,"
                        + " tap-point, back or wait-exit");
        }
    }

    private void postWithArgument(String command, String argument, Runnable action) {
        if (argument.isEmpty()) {
            Protocol.error(command, "missing argument: " + command + " <value>");
            return;
        }
        post(command, action);
    }

    private void postTapPoint(String argument) {
        String[] parts = argument.split("\\s+");
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            int x = Integer.parseInt(parts[0]);
            int y = Integer.parseInt(parts[1]);
            post("tap-point", () -> screen.tapPoint(x, y));
        } catch (NumberFormatException e) {
            Protocol.error("tap-point", "expected two integers: tap-point <x> <y>, got \""
                    + argument + "\"");
        }
    }

    private void post(String command, Runnable action) {
        if (!mainHandler.post(action)) {
            Protocol.error(command, "the app is exiting; command ignored");
        }
    }
}
