package com.example.demoapp.shell;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Contents of the simulated display: a named screen and its elements, topmost last. */
public final class Screen {
    private final String name;
    private final List<ScreenElement> elements;
    private final Runnable onBack;

    /** Creates a screen, on which the back key does nothing when {@code onBack} is null. */
    public Screen(String name, List<ScreenElement> elements, Runnable onBack) {
        this.name = name;
        this.elements = Collections.unmodifiableList(new ArrayList<>(elements));
        this.onBack = onBack;
    }

    public String name() {
        return name;
    }

    public List<ScreenElement> elements() {
        return elements;
    }

    /** Runs the back handler and returns whether there was one. */
    boolean back() {
        if (onBack == null) {
            return false;
        }
        onBack.run();
        return true;
    }
}
