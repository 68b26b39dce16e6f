package com.umeng.stagedsdk;

import android.content.Context;

/**
 * Template of a fictitious copy of Umeng's UMConfigure. The demo does not use this class
 * directly: it renames it to com.umeng.commonsdk.UMConfigure (same length, so only the
 * constant pool strings change) and loads the result on a new class loader, as an app does
 * with SDK code downloaded after start. The template has no nested classes or lambdas, so
 * the renamed class file needs nothing else.
 */
public final class UMConfigure {
    private static volatile Boolean granted;

    private UMConfigure() {
    }

    /** Stores the user's decision on the privacy policy, as the app reports it (consent API). */
    public static void submitPolicyGrantResult(Context context, boolean granted) {
        UMConfigure.granted = granted;
    }

    /** Returns the decision last submitted, or null. */
    public static Boolean policyGrantResult() {
        return granted;
    }
}
