package org.refusalscope.api.prompts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.refusalscope.api.Strategy;

/** Reads prompt sets from files of one format. */
public interface PromptSource extends Strategy<Void> {

	/** True when this source reads {@code file} (by extension and content). */
	boolean canRead(Path file);

	/**
	 * Reads every prompt of {@code file}.
	 *
	 * @throws PromptFormatException naming the file and line of malformed content
	 */
	List<Prompt> read(Path file) throws IOException;
}
