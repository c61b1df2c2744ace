package org.refusalscope.core.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.refusalscope.core.io.AtomicFiles;
import org.refusalscope.core.json.Json;

/**
 * The files of a run folder. {@code config.json} holds the resolved run configuration, {@code progress.json} what
 * is done (for {@code --resume}), {@code results.json} the results; CSV tables and {@code report.html} beside.
 */
public final class RunFolder {

	public static final String CONFIG = "config.json";
	public static final String PROGRESS = "progress.json";
	public static final String RESULTS = "results.json";
	public static final String REPORT = "report.html";

	private final Path dir;

	public RunFolder(Path dir) {
		this.dir = dir;
	}

	public Path dir() {
		return dir;
	}

	public Path file(String name) {
		return dir.resolve(name);
	}

	/** Reads {@code results.json}; a folder that is not a run, or of another schema version, is a clear error. */
	public DissectionResults readResults() throws IOException {
		Path results = file(RESULTS);
		if(!Files.isDirectory(dir)) {
			throw new IOException(dir + ": not a folder");
		}
		if(!Files.isRegularFile(results)) {
			throw new IOException(dir + ": not a RefusalScope run folder (no " + RESULTS + ")");
		}
		DissectionResults parsed = Json.read(results, DissectionResults.class);
		if(parsed.schemaVersion() != DissectionResults.SCHEMA_VERSION) {
			throw new IOException(results + ": schema_version " + parsed.schemaVersion() + " is not supported (this "
					+ "version reads " + DissectionResults.SCHEMA_VERSION + ")");
		}
		if(parsed.prompts() == null) {
			throw new IOException(results + ": no 'prompts' list");
		}
		return parsed;
	}

	/**
	 * Writes {@code results.json} atomically. Absent values are written as {@code null} (not left out) so every
	 * prompt item carries every field of the schema ({@code interactions} when stage 3 did not run, {@code completion}
	 * when completions are redacted).
	 */
	public void writeResults(DissectionResults results) throws IOException {
		AtomicFiles.writeString(file(RESULTS), WITH_NULLS.toJson(results));
	}

	private static final com.google.gson.Gson WITH_NULLS = Json.gson().newBuilder().serializeNulls().create();
}
