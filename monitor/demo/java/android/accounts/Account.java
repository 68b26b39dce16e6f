// Stand-in for android.accounts.Account so the demo app runs on a plain JVM.
package android.accounts;

/** An account on the device: a name and a type such as "com.google". */
public class Account {
    public final String name;
    public final String type;

    public Account(String name, String type) {
        this.name = name;
        this.type = type;
    }

    @Override
    public String toString() {
        return "Account {name=" + name + ", type=" + type + "}";
    }
}
