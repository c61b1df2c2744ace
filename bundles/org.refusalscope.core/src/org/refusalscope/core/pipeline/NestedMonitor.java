package org.refusalscope.core.pipeline;

import org.refusalscope.api.ProgressMonitor;

/**
 * The monitor handed to strategies inside a run: their own {@code begin} calls become sub-task messages of the run
 * (a monitor is begun once), units are not counted against the run's total, cancellation is the run's.
 */
final class NestedMonitor implements ProgressMonitor {

	private final ProgressMonitor parent;

	NestedMonitor(ProgressMonitor parent) {
		this.parent = parent;
	}

	@Override
	public void begin(String task, int totalWork) {
		parent.subTask(task);
	}

	@Override
	public void subTask(String message) {
		parent.subTask(message);
	}

	@Override
	public boolean isCanceled() {
		return parent.isCanceled();
	}
}
