package org.refusalscope.ui.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;

/**
 * Runs {@code ./refusalscope dissect} as an Eclipse Job: the workbench drives the same headless command a user would
 * type (no second copy of the pipeline wiring), shows its stderr lines as the log and the last one as the progress
 * sub-task. Cancel sends SIGTERM, which the command handles like Ctrl-C: it saves the finished prompts, so the run
 * can be continued with {@code --resume}.
 */
public class DissectJob extends Job {

	static final String END = "\u0000end";
	static final long SAVE_GRACE_SECONDS = 70;
	private final List<String> command;
	private final Path runDir;
	private final Consumer<String> log;
	private volatile int exitCode = -1;

	/**
	 * @param command the full command line ({@link DissectLauncher#command})
	 * @param runDir  the run folder the command writes (its {@code --out})
	 * @param log     receives every output line, on the job's thread
	 */
	public DissectJob(List<String> command, Path runDir, Consumer<String> log) {
		super("Dissect into " + runDir.getFileName());
		this.command = List.copyOf(command);
		this.runDir = runDir;
		this.log = log;
		setUser(true);
	}

	public Path runDir() {
		return runDir;
	}

	/** The command's exit code once the job is done (-1 before, or when it could not start). */
	public int exitCode() {
		return exitCode;
	}

	@Override
	protected IStatus run(IProgressMonitor monitor) {
		monitor.beginTask(getName(), IProgressMonitor.UNKNOWN);
		Process process;
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
			// the workbench runs from a built product: the launcher must not start a Maven build first
			builder.environment().put("REFUSALSCOPE_NO_BUILD", "1");
			process = builder.start();
		} catch(IOException e) {
			return Status.error(command.get(0) + ": cannot start: " + e.getMessage(), e);
		}
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		Thread reader = new Thread(() -> pump(process, lines), "dissect-output");
		reader.setDaemon(true);
		reader.start();
		String last = "";
		try {
			while(true) {
				if(monitor.isCanceled()) {
					return cancel(process, lines);
				}
				String line = lines.poll(200, TimeUnit.MILLISECONDS);
				if(line == END) {
					break;
				}
				if(line != null) {
					last = line;
					log.accept(line);
					monitor.subTask(line.replace("[refusalscope]", "").strip());
				}
			}
			exitCode = process.waitFor();
		} catch(InterruptedException e) {
			Thread.currentThread().interrupt();
			process.destroy();
			return Status.CANCEL_STATUS;
		} finally {
			monitor.done();
		}
		return exitCode == 0 ? Status.OK_STATUS : Status.error("dissect exited with code " + exitCode + ": " + last);
	}

	/** SIGTERM, then wait while the command saves what is finished; forced only when it does not end in time. */
	private IStatus cancel(Process process, BlockingQueue<String> lines) throws InterruptedException {
		log.accept("[workbench] cancelling: the finished prompts are kept; Resume continues the run");
		// ProcessHandle.destroy sends SIGTERM only; Process.destroy would also close the pipe and lose the last lines
		process.toHandle().destroy();
		if(!process.waitFor(SAVE_GRACE_SECONDS, TimeUnit.SECONDS)) {
			process.destroyForcibly();
		}
		String line;
		while((line = lines.poll(1, TimeUnit.SECONDS)) != null && line != END) {
			log.accept(line);
		}
		exitCode = process.exitValue();
		return Status.CANCEL_STATUS;
	}

	private static void pump(Process process, BlockingQueue<String> lines) {
		try(BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while((line = in.readLine()) != null) {
				lines.add(line);
			}
		} catch(IOException e) {
			lines.add("[workbench] output stream closed: " + e.getMessage());
		} finally {
			lines.add(END);
		}
	}
}
