package io.sparkmlp.ml;

import org.apache.spark.ml.util.Identifiable$;

/**
 * The uid of an estimator or model made from Java. spark.ml's Scala superclasses create their Params
 * in their constructors, which call {@code uid()} before a Java subclass has set any field; so a
 * constructor given a uid parks it here ({@link #next}, evaluated before the superclass constructor
 * runs) and {@code uid()} takes it on its first call ({@link #take}).
 */
final class Uids {

    /** Proof, in a constructor's signature, that {@link #next} ran before the superclass constructor. */
    static final class Parked {
        private Parked() {
        }
    }

    private static final Parked PARKED = new Parked();
    private static final ThreadLocal<String> NEXT = new ThreadLocal<>();

    private Uids() {
    }

    /** Makes {@code uid} the uid of the next instance this thread creates. */
    static Parked next(String uid) {
        NEXT.set(uid);
        return PARKED;
    }

    /** The parked uid, or a new random one {@code prefix_xxxxxxxxxxxx}. */
    static String take(String prefix) {
        String uid = NEXT.get();
        NEXT.remove();
        return uid != null ? uid : Identifiable$.MODULE$.randomUID(prefix);
    }
}
