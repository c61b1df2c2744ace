package org.refusalscope.api;

/**
 * A pluggable implementation of one role of the platform (a model backend, a pruning strategy, a judge, ...).
 * Implementations are OSGi Declarative Services components registered under their role interface; the registry
 * lists them by {@link #id()}, and runs choose them by that id.
 *
 * @param <S> the settings type: a plain object with public fields or a record, serialised to and from JSON by the
 *            core, so the workbench form, the headless runner and saved runs all use the same object
 */
public interface Strategy<S> {

	/** Stable identifier used in run configurations and on the command line, e.g. {@code "backward"}. */
	String id();

	/** Short human-readable name. */
	String name();

	/** One or two sentences describing what the strategy does, shown in pickers and in {@code strategies}. */
	String description();

	/** The settings class, or {@code Void.class} for a strategy without settings. */
	Class<S> settingsType();

	/** Settings used when a run does not specify any; {@code null} only when {@link #settingsType()} is Void. */
	S defaultSettings();
}
