package org.refusalscope.headless.commands.sae;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeTrainer;
import org.refusalscope.api.sae.SaeTrainingReport;
import org.refusalscope.api.sae.SaeTrainingSettings;
import org.refusalscope.core.json.Json;
import org.refusalscope.headless.CliContext;
import org.refusalscope.headless.UsageException;
import org.refusalscope.headless.commands.ModelOption;
import org.refusalscope.sae.ActivationCache;
import org.refusalscope.sae.ActivationCollector;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train-sae", mixinStandardHelpOptions = true,
		description = "Trains TopK or JumpReLU SAEs on the residual stream (resid_post) of a model and writes them in SAELens format.")
public class TrainSaeCommand implements Callable<Integer> {

	private final CliContext context;

	@Mixin
	ModelOption model;

	@Option(names = "--layer", required = true, description = "Layer L, or 'all' (one SAE per layer in layer_<L>/ folders).")
	String layer;

	@Option(names = "--prompts", required = true, arity = "1..*", description = "Prompt files (txt, csv, json); every position "
			+ "of each prompt (chat template applied, BOS excluded) is a training row.")
	List<Path> prompts;

	@Option(names = "--width", required = true, description = "Number of latents.")
	int width;

	@Option(names = "--arch", required = true, description = "topk or jumprelu.")
	String arch;

	@Option(names = "--k", defaultValue = "32", description = "Active latents per token for topk (default ${DEFAULT-VALUE}).")
	int k;

	@Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
	float lr;

	@Option(names = "--l1", defaultValue = "0.03", description = "JumpReLU L0 penalty coefficient (default ${DEFAULT-VALUE}).")
	float l1;

	@Option(names = "--epochs", defaultValue = "10", description = "Passes over the activations (default ${DEFAULT-VALUE}).")
	int epochs;

	@Option(names = "--batch-size", defaultValue = "1024", description = "Rows per step (default ${DEFAULT-VALUE}).")
	int batchSize;

	@Option(names = "--seed", defaultValue = "0", description = "Seed for initialisation and data order.")
	long seed;

	@Option(names = "--checkpoint-every", defaultValue = "500", description = "Steps between checkpoints (default ${DEFAULT-VALUE}).")
	int checkpointEvery;

	@Option(names = "--resume", description = "Reuse the collected activations and continue from the checkpoints in --out.")
	boolean resume;

	@Option(names = "--out", required = true, description = "Output folder.")
	Path out;

	@Option(names = "--json", description = "Print one JSON object with a report per layer.")
	boolean json;

	public TrainSaeCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() throws Exception {
		SaeArchitecture architecture = switch(arch) {
			case "topk" -> SaeArchitecture.TOPK;
			case "jumprelu" -> SaeArchitecture.JUMPRELU;
			default -> throw new UsageException("--arch must be topk or jumprelu, got '" + arch + "'");
		};
		if(width <= 0 || epochs <= 0 || batchSize <= 0 || !(lr > 0) || (architecture == SaeArchitecture.TOPK && (k <= 0 || k > width))) {
			throw new UsageException("--width, --epochs, --batch-size and --lr must be positive, and 0 < --k <= --width for topk");
		}
		List<String> texts = SaeCommandSupport.readPrompts(context, prompts);
		StderrProgress progress = new StderrProgress(context.err());
		Path activations = out.resolve("activations");
		int[] layers;
		String modelName;
		Map<Integer, ActivationCache> caches = new LinkedHashMap<>();
		try(LanguageModel languageModel = model.open(context)) {
			int numLayers = languageModel.info().numLayers();
			layers = parseLayers(layer, numLayers);
			modelName = languageModel.info().name();
			boolean reuse = resume && IntStream.of(layers).allMatch(l -> ActivationCache.isComplete(activations.resolve("layer_" + l)));
			if(reuse) {
				for(int l : layers) {
					caches.put(l, ActivationCache.open(activations.resolve("layer_" + l)));
				}
				context.err().println("reusing the activations collected in " + activations);
			} else {
				int chunkRows = Math.max(1024, (64 << 20) / (4 * languageModel.info().hiddenSize())); // 64 MB chunks
				caches.putAll(ActivationCollector.collect(languageModel, texts, true, layers, HookPoint.RESID_POST, activations, 8,
						chunkRows, progress));
			}
		}
		SaeTrainer trainer = SaeCommandSupport.service(SaeTrainer.class);
		JsonArray reports = new JsonArray();
		for(int l : layers) {
			Path target = layer.equalsIgnoreCase("all") ? out.resolve("layer_" + l) : out;
			Files.createDirectories(target);
			SaeTrainingSettings settings = new SaeTrainingSettings(architecture, width, k, lr, l1, batchSize, epochs, seed,
					checkpointEvery, resume, l, HookPoint.RESID_POST.hookName(l), modelName);
			ActivationCache cache = caches.get(l);
			context.err().println("layer " + l + ": " + cache.totalRows() + " activation rows");
			SaeTrainingReport report = trainer.train(cache, settings, target, progress);
			JsonObject item = new JsonObject();
			item.addProperty("layer", l);
			item.addProperty("output", report.output().toString());
			item.addProperty("steps", report.steps());
			item.addProperty("rows", report.rowsSeen());
			item.addProperty("fve", report.fve());
			item.addProperty("l0", report.meanL0());
			item.addProperty("dead_fraction", report.deadFraction());
			item.addProperty("rows_per_second", report.rowsPerSecond());
			item.addProperty("resumed_from_step", report.resumedFromStep());
			reports.add(item);
			context.err().printf("layer %d: FVE %.4f, L0 %.2f, dead %.3f -> %s%n", l, report.fve(), report.meanL0(),
					report.deadFraction(), report.output());
		}
		JsonObject result = new JsonObject();
		result.addProperty("architecture", arch);
		result.addProperty("width", width);
		result.add("layers", reports);
		if(json) {
			context.out().println(Json.write(result));
		} else {
			context.out().println("SAEs written to " + out);
		}
		return 0;
	}

	static int[] parseLayers(String spec, int numLayers) {
		if(spec.equalsIgnoreCase("all")) {
			return IntStream.range(0, numLayers).toArray();
		}
		int value;
		try {
			value = Integer.parseInt(spec.trim());
		} catch(NumberFormatException e) {
			throw new UsageException("--layer must be a layer number or 'all', got '" + spec + "'");
		}
		if(value < 0 || value >= numLayers) {
			throw new UsageException("layer " + value + " is outside 0.." + (numLayers - 1));
		}
		return new int[] {value};
	}
}
