package org.refusalscope.headless.commands;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import org.refusalscope.api.model.ChatMessage;
import org.refusalscope.api.model.GenerationRequest;
import org.refusalscope.api.model.GenerationResult;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.core.json.Json;
import org.refusalscope.headless.CliContext;
import org.refusalscope.headless.UsageException;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
		description = "Generates a completion (greedy by default) with the KV cache.")
public class GenerateCommand implements Callable<Integer> {

	private final CliContext context;

	@Mixin
	ModelOption model;

	@ArgGroup(exclusive = true, multiplicity = "1")
	Input input;

	static class Input {
		@Option(names = "--chat", description = "A user message, rendered with the model's chat template.")
		String chat;

		@Option(names = "--text", description = "Raw text (the tokenizer adds BOS).")
		String text;
	}

	@Option(names = "--max-new-tokens", defaultValue = "128", description = "Default ${DEFAULT-VALUE}.")
	int maxNewTokens;

	@Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (default); > 0 samples.")
	double temperature;

	@Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default ${DEFAULT-VALUE}).")
	long seed;

	@Option(names = "--json", description = "Print one JSON object: input_ids, completion, tokens_generated, stopped_by.")
	boolean json;

	public GenerateCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() throws Exception {
		if(maxNewTokens < 1) {
			throw new UsageException("--max-new-tokens must be >= 1, got " + maxNewTokens);
		}
		if(temperature < 0) {
			throw new UsageException("--temperature must be >= 0, got " + temperature);
		}
		try(LanguageModel languageModel = model.open(context)) {
			int[] ids = input.chat != null ? languageModel.encodeChat(List.of(ChatMessage.user(input.chat)))
					: languageModel.tokenize(input.text, true);
			// the --sae/--ablate options of the SAE commands' owner turn into a plan here
			InterventionPlan plan = InterventionPlan.NONE;
			GenerationResult result = languageModel.generate(new GenerationRequest(List.of(ids), List.of(plan),
					maxNewTokens, temperature, seed)).get(0);
			if(json) {
				JsonObject out = new JsonObject();
				JsonArray inputIds = new JsonArray();
				Arrays.stream(ids).forEach(inputIds::add);
				out.add("input_ids", inputIds);
				out.addProperty("completion", result.text());
				out.addProperty("tokens_generated", result.tokens().length);
				out.addProperty("stopped_by", result.stoppedBy());
				context.out().println(Json.write(out));
			} else {
				context.out().println(result.text());
				context.err().println("(" + result.tokens().length + " tokens, stopped by " + result.stoppedBy() + ")");
			}
		}
		return 0;
	}
}
