package org.refusalscope.api.prompts;

import java.io.IOException;
import java.nio.file.Path;

/** A prompt file that cannot be read; the message names the file and, where known, the line. */
public class PromptFormatException extends IOException {

	private static final long serialVersionUID = 1L;

	public PromptFormatException(Path file, int line, String problem) {
		super(file + (line > 0 ? ":" + line : "") + ": " + problem);
	}
}
