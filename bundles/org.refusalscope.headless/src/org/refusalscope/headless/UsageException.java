package org.refusalscope.headless;

/** A command's options are inconsistent; reported with exit code 2. */
public class UsageException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public UsageException(String message) {
		super(message);
	}
}
