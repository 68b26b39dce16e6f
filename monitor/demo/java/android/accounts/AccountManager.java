// Stand-in for android.accounts.AccountManager so the demo app runs on a plain JVM.
package android.accounts;

import android.content.Context;
import android.os.UserHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Concrete as on Android. getAccounts() calls the hidden getAccountsAsUser(int) (API 30+),
 * and getAccountsByType(String) the hidden getAccountsByTypeAsUser(String, UserHandle).
 */
public class AccountManager {
    private static final Account[] ACCOUNTS = {
        new Account("li.wei@example.com", "com.google"),
        new Account("liwei_wx", "com.tencent.mm.account"),
    };

    /** Hidden on Android, where apps call AccountManager.get(context). */
    public AccountManager(Context context) {
    }

    public Account[] getAccounts() {
        return getAccountsAsUser(UserHandle.myUserId());
    }

    /** Hidden on Android. */
    public Account[] getAccountsAsUser(int userId) {
        return ACCOUNTS.clone();
    }

    public Account[] getAccountsByType(String type) {
        return getAccountsByTypeAsUser(type, UserHandle.of(UserHandle.myUserId()));
    }

    /** Hidden on Android. */
    public Account[] getAccountsByTypeAsUser(String type, UserHandle userHandle) {
        List<Account> matches = new ArrayList<>();
        for (Account account : ACCOUNTS) {
            if (type == null || account.type.equals(type)) {
                matches.add(account);
            }
        }
        return matches.toArray(new Account[0]);
    }
}
