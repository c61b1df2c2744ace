package org.refusalscope.headless.commands;

import java.io.PrintStream;

import org.refusalscope.api.ProgressMonitor;

/** Progress on stderr, cancelled by Ctrl-C (a shutdown hook sets the flag and waits for the run to save). */
final class StderrProgress implements ProgressMonitor {

	private final PrintStream err;
	private volatile boolean cancelled;
	private String task = "";

	StderrProgress(PrintStream err) {
		this.err = err;
	}

	void cancel() {
		cancelled = true;
	}

	@Override
	public void begin(String task, int totalWork) {
		this.task = task;
		err.println("[refusalscope] " + task);
	}

	@Override
	public void subTask(String message) {
		err.println("[refusalscope]   " + message);
	}

	@Override
	public boolean isCanceled() {
		return cancelled;
	}

	String task() {
		return task;
	}
}
