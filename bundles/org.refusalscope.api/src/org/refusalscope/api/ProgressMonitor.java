package org.refusalscope.api;

/**
 * Progress and cancellation for long work, independent of Eclipse so that the core can be used headless. The
 * workbench adapts it to an {@code IProgressMonitor}, the command line prints it to stderr.
 */
public interface ProgressMonitor {

	ProgressMonitor NULL = new ProgressMonitor() {
	};

	/** Starts a task of {@code totalWork} units; a negative total means unknown. */
	default void begin(String task, int totalWork) {
	}

	default void worked(int units) {
	}

	default void subTask(String message) {
	}

	default boolean isCanceled() {
		return false;
	}

	/** Throws {@link CancelledException} when cancellation was requested. */
	default void checkCanceled() {
		if(isCanceled()) {
			throw new CancelledException();
		}
	}

	/** Thrown by long work when the monitor asked it to stop; what was completed before stays saved. */
	final class CancelledException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		public CancelledException() {
			super("cancelled");
		}
	}
}
