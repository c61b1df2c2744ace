package org.refusalscope.ui.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.refusalscope.core.runs.DissectionResults;
import org.refusalscope.core.runs.DissectionResults.PromptResult;
import org.refusalscope.core.runs.RunFolder;

/**
 * The run the workbench shows and the prompt selected in it. One instance lives in the application context; parts
 * listen to it instead of to each other. Used on the UI thread only.
 */
public class OpenRun {

	private final List<Consumer<OpenRun>> listeners = new CopyOnWriteArrayList<>();
	private final DrawLog drawLog = new DrawLog();
	private Path folder;
	private DissectionResults results;
	private int selected = -1;

	/** Reads the run folder (clear errors for a non-run folder or another schema version come from RunFolder). */
	public void open(Path dir) throws IOException {
		DissectionResults read = new RunFolder(dir).readResults();
		show(dir, read);
	}

	public void show(Path dir, DissectionResults read) {
		folder = dir;
		results = read;
		selected = -1;
		changed();
	}

	/** Selects prompt {@code index} (or none with -1); out-of-range indices select nothing. */
	public void select(int index) {
		int next = results != null && index >= 0 && index < results.prompts().size() ? index : -1;
		if(next != selected) {
			selected = next;
			changed();
		}
	}

	public Optional<Path> folder() {
		return Optional.ofNullable(folder);
	}

	public Optional<DissectionResults> results() {
		return Optional.ofNullable(results);
	}

	public int selectedIndex() {
		return selected;
	}

	public Optional<PromptResult> selectedPrompt() {
		return selected < 0 ? Optional.empty() : Optional.of(results.prompts().get(selected));
	}

	public DrawLog drawLog() {
		return drawLog;
	}

	public void addListener(Consumer<OpenRun> listener) {
		listeners.add(listener);
	}

	public void removeListener(Consumer<OpenRun> listener) {
		listeners.remove(listener);
	}

	public int listenerCount() {
		return listeners.size();
	}

	private void changed() {
		drawLog.newGeneration();
		for(Consumer<OpenRun> listener : listeners) {
			listener.accept(this);
		}
	}
}
