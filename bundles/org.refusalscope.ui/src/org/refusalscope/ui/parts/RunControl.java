package org.refusalscope.ui.parts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Text;
import org.refusalscope.core.io.AtomicFiles;
import org.refusalscope.core.json.Json;
import org.refusalscope.core.pipeline.RunSettings;
import org.refusalscope.ui.run.DissectJob;
import org.refusalscope.ui.run.DissectLauncher;

/**
 * Run / Cancel / Resume for the configured dissection, as an Eclipse Job; its output goes to the log below, the UI
 * stays responsive. A finished run is handed to {@code onFinished} (the workbench opens it in the results).
 */
public class RunControl {

	/** What a run needs from the set-up form. */
	public record Request(RunSettings settings, Path prompts, Path harmful, Path harmless) {
	}

	private final Supplier<Request> request;
	private final Consumer<Path> onFinished;
	private final Button run;
	private final Button cancel;
	private final Button resume;
	private final ProgressBar progress;
	private final Label state;
	private final Text log;
	private DissectJob job;
	private Path lastRun;
	private Supplier<Path> script = DissectLauncher::script;
	private Path runsFolder = Path.of(System.getProperty(DissectLauncher.HOME_PROPERTY, "."), "runs");

	public RunControl(Composite parent, Supplier<Request> request, Consumer<Path> onFinished) {
		this.request = request;
		this.onFinished = onFinished;
		Group group = new Group(parent, SWT.NONE);
		group.setText("Run");
		group.setLayout(new GridLayout(5, false));
		group.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		run = button(group, "Run", () -> start(false));
		cancel = button(group, "Cancel", () -> job.cancel());
		resume = button(group, "Resume", () -> start(true));
		progress = new ProgressBar(group, SWT.INDETERMINATE);
		progress.setVisible(false);
		state = new Label(group, SWT.NONE);
		state.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		log = new Text(group, SWT.BORDER | SWT.MULTI | SWT.READ_ONLY | SWT.V_SCROLL | SWT.H_SCROLL);
		GridData logData = new GridData(SWT.FILL, SWT.FILL, true, true, 5, 1);
		logData.heightHint = 120;
		log.setLayoutData(logData);
		update();
	}

	/** Tests replace the launcher with a script of their own and keep runs in a temporary folder. */
	void setLauncher(Supplier<Path> launcher, Path runs) {
		script = launcher;
		runsFolder = runs;
	}

	public DissectJob job() {
		return job;
	}

	public Text log() {
		return log;
	}

	public String state() {
		return state.getText();
	}

	public void start(boolean continueLast) {
		try {
			Request r = request.get();
			Path out = continueLast && lastRun != null ? lastRun
					: runsFolder.resolve("dissect-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
			Path config = Files.createTempFile("refusalscope-run", ".json");
			AtomicFiles.writeString(config, Json.write(r.settings()));
			List<String> command = DissectLauncher.command(script.get(), config, out, continueLast, r.prompts(), r.harmful(),
					r.harmless());
			log.setText(String.join(" ", command) + "\n");
			lastRun = out;
			job = new DissectJob(command, out, line -> log.getDisplay().asyncExec(() -> append(line)));
			job.addJobChangeListener(new JobChangeAdapter() {

				@Override
				public void done(IJobChangeEvent event) {
					log.getDisplay().asyncExec(() -> finished(event.getResult()));
				}
			});
			job.schedule();
			state.setText("running into " + out);
		} catch(Exception e) {
			state.setText(e.getMessage());
		}
		update();
	}

	private void finished(IStatus result) {
		if(log.isDisposed()) {
			return;
		}
		Path dir = job.runDir();
		if(result.getSeverity() == IStatus.CANCEL) {
			state.setText("cancelled; Resume continues " + dir);
		} else if(result.isOK()) {
			state.setText("finished: " + dir);
			onFinished.accept(dir);
		} else {
			state.setText(result.getMessage());
		}
		job = null;
		update();
	}

	private void append(String line) {
		if(!log.isDisposed()) {
			log.append(line + "\n");
		}
	}

	private void update() {
		boolean running = job != null;
		run.setEnabled(!running);
		cancel.setEnabled(running);
		resume.setEnabled(!running && lastRun != null);
		progress.setVisible(running);
	}

	private static Button button(Composite parent, String text, Runnable action) {
		Button button = new Button(parent, SWT.PUSH);
		button.setText(text);
		button.addListener(SWT.Selection, e -> action.run());
		return button;
	}
}
