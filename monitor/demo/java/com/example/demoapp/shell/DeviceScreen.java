package com.example.demoapp.shell;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * The simulated display and touch input. The app shows its screens here. A dump reads the
 * screen at once, while taps and back presses run on the main thread, as Android's input
 * dispatcher delivers them.
 */
public final class DeviceScreen {
    public static final int WIDTH = 1080;
    public static final int HEIGHT = 2340;

    private static final DeviceScreen INSTANCE = new DeviceScreen();

    private volatile Screen current =
            new Screen("launch", Collections.<ScreenElement>emptyList(), null);
    private volatile Consumer<String> leaveListener;

    private DeviceScreen() {
    }

    public static DeviceScreen get() {
        return INSTANCE;
    }

    /** Replaces the screen and announces it with a "screen" event. */
    public void show(Screen screen) {
        current = screen;
        publish(screen, "show");
    }

    /** Prints the current screen as a "screen" event. Safe to call from any thread. */
    public void dump() {
        publish(current, "dump");
    }

    /** Sets the listener called when the driver leaves the app, with the cause as argument. */
    public void setLeaveListener(Consumer<String> listener) {
        leaveListener = listener;
    }

    void leave(String cause) {
        Consumer<String> listener = leaveListener;
        if (listener != null) {
            listener.accept(cause);
        }
    }

    /** Taps the element whose text is {@code text}, or else the one element that contains it. */
    void tapText(String text) {
        List<ScreenElement> exact = new ArrayList<>();
        List<ScreenElement> partial = new ArrayList<>();
        for (ScreenElement element : current.elements()) {
            if (element.text().equals(text)) {
                exact.add(element);
            } else if (element.text().contains(text)) {
                partial.add(element);
            }
        }
        List<ScreenElement> matches = exact.isEmpty() ? partial : exact;
        if (matches.size() == 1) {
            tap(matches.get(0), matches.get(0).centerX(), matches.get(0).centerY());
        } else if (matches.isEmpty()) {
            tapFailed("no element with text \"" + text + "\" on screen " + current.name());
        } else {
            tapFailed("text \"" + text + "\" matches " + matches.size() + " elements");
        }
    }

    void tapId(String id) {
        for (ScreenElement element : current.elements()) {
            if (element.id().equals(id)) {
                tap(element, element.centerX(), element.centerY());
                return;
            }
        }
        tapFailed("no element with id " + id + " on screen " + current.name());
    }

    /** Taps the topmost element at the point, as a touch on a real screen would. */
    void tapPoint(int x, int y) {
        List<ScreenElement> elements = current.elements();
        for (int i = elements.size() - 1; i >= 0; i--) {
            if (elements.get(i).contains(x, y)) {
                tap(elements.get(i), x, y);
                return;
            }
        }
        tapFailed("no element at (" + x + ", " + y + ") on screen " + current.name());
    }

    void pressBack() {
        long time = Protocol.now();
        Screen screen = current;
        Protocol.event("back", "ok", true, "screen", screen.name(), "time_ms", time);
        if (!screen.back()) {
            Protocol.say("back: screen " + screen.name() + " ignores the back key");
        }
    }

    private void tap(ScreenElement element, int x, int y) {
        Protocol.event("tap", "ok", true, "id", element.id(), "text", element.text(),
                "x", x, "y", y, "time_ms", Protocol.now());
        element.click();
    }

    private void tapFailed(String message) {
        Protocol.event("tap", "ok", false, "message", message, "time_ms", Protocol.now());
    }

    private static void publish(Screen screen, String reason) {
        List<Object> elements = new ArrayList<>();
        for (ScreenElement element : screen.elements()) {
            elements.add(element.toJson());
        }
        Protocol.event("screen", "reason", reason, "name", screen.name(), "width", WIDTH,
                "height", HEIGHT, "elements", elements, "time_ms", Protocol.now());
    }
}
