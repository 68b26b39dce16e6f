// Stand-in for android.location.LocationListener so the demo app runs on a plain JVM.
package android.location;

import android.os.Bundle;

/** Location callbacks, with default status and provider callbacks as in API 30. */
public interface LocationListener {
    void onLocationChanged(Location location);

    default void onStatusChanged(String provider, int status, Bundle extras) {
    }

    default void onProviderEnabled(String provider) {
    }

    default void onProviderDisabled(String provider) {
    }
}
