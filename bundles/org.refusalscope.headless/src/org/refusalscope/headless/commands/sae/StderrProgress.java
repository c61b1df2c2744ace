package org.refusalscope.headless.commands.sae;

import java.io.PrintStream;

import org.refusalscope.api.ProgressMonitor;

/** Progress lines on stderr, at most one per second plus task starts; stdout stays for results. */
final class StderrProgress implements ProgressMonitor {

	private final PrintStream err;
	private String task = "";
	private int total;
	private long done;
	private long lastPrint;

	StderrProgress(PrintStream err) {
		this.err = err;
	}

	@Override
	public void begin(String task, int totalWork) {
		this.task = task;
		this.total = totalWork;
		this.done = 0;
		err.println(task + (totalWork > 0 ? " (" + totalWork + ")" : ""));
	}

	@Override
	public void worked(int units) {
		done += units;
		long now = System.currentTimeMillis();
		if(now - lastPrint >= 1000 || (total > 0 && done >= total)) {
			lastPrint = now;
			err.printf("  %s: %d/%d%n", task, done, total);
		}
	}

	@Override
	public void subTask(String message) {
		err.println("  " + message);
	}
}
