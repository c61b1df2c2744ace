package org.refusalscope.ui.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;

/**
 * Runs one what-if evaluation ({@code ./refusalscope eval --ablate ...}) off the UI thread and hands the judged
 * completion, or the error, to {@code done} (on the job's thread).
 */
public class WhatIfJob extends Job {

	private final WhatIfRequest request;
	private final Consumer<Object> done;

	/** @param done receives a {@link WhatIfRequest.Outcome} or an error message (String) */
	public WhatIfJob(WhatIfRequest request, Consumer<Object> done) {
		super("What if: regenerate with " + request.features().size() + " feature(s) ablated");
		this.request = request;
		this.done = done;
		setUser(true);
	}

	@Override
	protected IStatus run(IProgressMonitor monitor) {
		monitor.beginTask(getName(), IProgressMonitor.UNKNOWN);
		Path promptFile = null;
		try {
			promptFile = request.writePromptFile(Files.createTempDirectory("refusalscope-whatif"));
			ProcessBuilder builder = new ProcessBuilder(request.command(DissectLauncher.script(), promptFile));
			builder.environment().put("REFUSALSCOPE_NO_BUILD", "1");
			builder.redirectError(ProcessBuilder.Redirect.DISCARD);
			Process process = builder.start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			int code = process.waitFor();
			if(code != 0) {
				done.accept("eval exited with code " + code);
			} else {
				done.accept(WhatIfRequest.parse(out));
			}
			return Status.OK_STATUS;
		} catch(IOException | RuntimeException e) {
			done.accept(e.getMessage());
			return Status.OK_STATUS; // shown in the panel; no error dialog on top
		} catch(InterruptedException e) {
			Thread.currentThread().interrupt();
			return Status.CANCEL_STATUS;
		} finally {
			monitor.done();
			if(promptFile != null) {
				try {
					Files.deleteIfExists(promptFile);
					Files.deleteIfExists(promptFile.getParent());
				} catch(IOException ignored) {
					// a leftover temporary file is harmless
				}
			}
		}
	}
}
