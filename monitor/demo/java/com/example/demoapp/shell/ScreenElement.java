package com.example.demoapp.shell;

import java.util.LinkedHashMap;
import java.util.Map;

/** One view on the simulated screen, with bounds in pixels as [left, top, right, bottom]. */
public final class ScreenElement {
    private final String id;
    private final String text;
    private final int[] bounds;
    private final Runnable onClick;

    /** Creates an element, which is not clickable when {@code onClick} is null. */
    public ScreenElement(String id, String text, int[] bounds, Runnable onClick) {
        if (bounds.length != 4 || bounds[0] >= bounds[2] || bounds[1] >= bounds[3]) {
            throw new IllegalArgumentException("bounds must be [left, top, right, bottom]");
        }
        this.id = id;
        this.text = text;
        this.bounds = bounds.clone();
        this.onClick = onClick;
    }

    public String id() {
        return id;
    }

    public String text() {
        return text;
    }

    public boolean clickable() {
        return onClick != null;
    }

    /** Tells whether the point lies inside, with right and bottom edges exclusive. */
    public boolean contains(int x, int y) {
        return x >= bounds[0] && x < bounds[2] && y >= bounds[1] && y < bounds[3];
    }

    public int centerX() {
        return (bounds[0] + bounds[2]) / 2;
    }

    public int centerY() {
        return (bounds[1] + bounds[3]) / 2;
    }

    /** Runs the click handler, if any, on the calling thread. */
    void click() {
        if (onClick != null) {
            onClick.run();
        }
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("text", text);
        json.put("bounds", bounds.clone());
        json.put("clickable", clickable());
        return json;
    }
}
