package org.refusalscope.headless.commands;

import java.io.IOException;

import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.headless.CliContext;

import picocli.CommandLine.Option;

/**
 * The required {@code --model} option (a picocli mixin) of the commands that load one model: inspect, generate,
 * train-sae and sae-eval. One declaration keeps the flag's name and help text the same in all of them
 * (contracts.md); dissect and eval word and default theirs differently and keep their own.
 */
public class ModelOption {

	@Option(names = "--model", required = true, description = "'default' or a Hugging Face model folder.")
	String model;

	/** Resolves {@code --model} and loads it with the first backend that understands the folder. */
	public LanguageModel open(CliContext context) throws IOException {
		return ModelOpener.open(context, model);
	}
}
