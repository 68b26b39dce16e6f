package com.example.childapp;

/** Starts a second JVM of itself, as an app starts a helper process, and waits for it. */
public class Parent {
    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            Thread.sleep(1500);
            System.exit(0);
        }
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Parent.class.getName(), "child").inheritIO().start();
        System.exit(child.waitFor());
    }
}
