package org.refusalscope.model.djl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.refusalscope.api.model.ActivationCapture;
import org.refusalscope.api.model.ChatMessage;
import org.refusalscope.api.model.ForwardRequest;
import org.refusalscope.api.model.ForwardResult;
import org.refusalscope.api.model.GenerationRequest;
import org.refusalscope.api.model.GenerationResult;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.model.LoadOptions;
import org.refusalscope.api.model.ModelInfo;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.io.safetensors.ShardedCheckpoint;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/** A Gemma-2 or Llama-3 checkpoint folder loaded on DJL's PyTorch engine. Thread-confined, as the API says. */
public final class DjlLanguageModel implements LanguageModel {

	/** See {@link Precision#AUTO_FLOAT32_LIMIT}. */
	public static final long AUTO_FLOAT32_LIMIT = Precision.AUTO_FLOAT32_LIMIT;

	private final ModelConfig config;
	private final ModelInfo info;
	private final NDManager manager;
	private final ShardedCheckpoint checkpoint;
	private final Transformer transformer;
	private final HuggingFaceTokenizer tokenizer;
	private final ChatTemplate chatTemplate;
	/** SAEs on the engine in least-recently-used order, kept under {@link #saeBudgetBytes()}. */
	private final Map<SparseAutoencoder, SaeTensors> saes = new IdentityHashMap<>();
	private final List<SparseAutoencoder> saeOrder = new ArrayList<>();

	private DjlLanguageModel(ModelConfig config, ModelInfo info, NDManager manager, ShardedCheckpoint checkpoint,
			Transformer transformer, HuggingFaceTokenizer tokenizer, ChatTemplate chatTemplate) {
		this.config = config;
		this.info = info;
		this.manager = manager;
		this.checkpoint = checkpoint;
		this.transformer = transformer;
		this.tokenizer = tokenizer;
		this.chatTemplate = chatTemplate;
	}

	public static DjlLanguageModel load(Path folder, LoadOptions options) throws IOException {
		ModelConfig config = ModelConfig.read(folder);
		Precision precision = Precision.parse(Precision.requested(options == null ? "auto" : options.computeDtype()),
				config.parameterCount());
		Path tokenizerFile = folder.resolve("tokenizer.json");
		if(!Files.isRegularFile(tokenizerFile)) {
			throw new IOException(tokenizerFile + ": no tokenizer.json in the model folder");
		}
		ChatTemplate template = ChatTemplate.read(folder);
		ShardedCheckpoint checkpoint = ShardedCheckpoint.open(folder);
		NDManager manager = Djl.newManager();
		// process-wide in libtorch: the last model loaded with an explicit count sets it
		EngineThreads.configure(options == null ? 0 : options.threads());
		try {
			TransformerWeights weights = Djl.withBundleClassLoader(() -> new TransformerWeights(config, checkpoint, folder,
					manager, precision));
			HuggingFaceTokenizer tokenizer = Djl.withBundleClassLoader(() -> HuggingFaceTokenizer.newInstance(tokenizerFile,
					Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false")));
			String name = folder.getFileName() == null ? folder.toString() : folder.getFileName().toString();
			ModelInfo info = new ModelInfo(name, config.modelType(), folder, config.numLayers(), config.hiddenSize(),
					config.vocabSize(), config.eosTokenIds(), config.bosTokenId(), weights.storedDtype,
					precision.id, config.parameterCount());
			return new DjlLanguageModel(config, info, manager, checkpoint,
					new Transformer(config, weights, precision.compute), tokenizer, template);
		} catch(IllegalStateException e) {
			manager.close();
			checkpoint.close();
			if(e.getCause() instanceof IOException io) {
				throw io;
			}
			throw e;
		} catch(RuntimeException e) {
			manager.close();
			checkpoint.close();
			throw e;
		}
	}

	ModelConfig config() {
		return config;
	}

	@Override
	public ModelInfo info() {
		return info;
	}

	@Override
	public int[] tokenize(String text, boolean addSpecialTokens) {
		long[] ids = Djl.withBundleClassLoader(() -> tokenizer.encode(text, addSpecialTokens, false).getIds());
		return Arrays.stream(ids).mapToInt(id -> (int) id).toArray();
	}

	@Override
	public String decode(int[] ids) {
		return decode(ids, false);
	}

	private String decode(int[] ids, boolean skipSpecial) {
		long[] longs = Arrays.stream(ids).asLongStream().toArray();
		return Djl.withBundleClassLoader(() -> tokenizer.decode(longs, skipSpecial));
	}

	@Override
	public String tokenText(int id) {
		return decode(new int[]{id}, false);
	}

	@Override
	public int tokenId(String token) {
		int[] ids = tokenize(token, false);
		if(ids.length == 1 && tokenText(ids[0]).equals(token)) {
			return ids[0];
		}
		return -1;
	}

	@Override
	public String renderChat(List<ChatMessage> messages, boolean addGenerationPrompt) {
		return chatTemplate.render(messages, addGenerationPrompt);
	}

	@Override
	public int[] encodeChat(List<ChatMessage> messages) {
		String text = renderChat(messages, true);
		String bos = chatTemplate.bosToken();
		// the template writes BOS itself; letting the tokenizer add another would double it
		boolean templateWroteBos = !bos.isEmpty() && text.startsWith(bos);
		return tokenize(text, !templateWroteBos);
	}

	@Override
	public String chatTemplate() {
		return chatTemplate.source();
	}

	/**
	 * The engine copy of an SAE, uploaded on first use and reused by later calls; the least recently used ones are
	 * released when the cache exceeds its budget (all 26 Gemma Scope 65k SAEs would take 31 GB).
	 */
	SaeTensors sae(SparseAutoencoder sae) {
		SaeTensors tensors = saes.get(sae);
		if(tensors == null) {
			tensors = new SaeTensors(sae, manager, config.hiddenSize());
			saes.put(sae, tensors);
		}
		saeOrder.removeIf(entry -> entry == sae);
		saeOrder.add(sae);
		long total = saes.values().stream().mapToLong(SaeTensors::bytes).sum();
		while(total > saeBudgetBytes() && saeOrder.size() > 1) {
			SparseAutoencoder oldest = saeOrder.remove(0);
			SaeTensors evicted = saes.remove(oldest);
			total -= evicted.bytes();
			pendingRelease.add(evicted);
		}
		return tensors;
	}

	/** Evicted SAEs may still be used by the pass in progress; they are closed after it. */
	private final List<SaeTensors> pendingRelease = new ArrayList<>();

	private void releaseEvicted() {
		for(SaeTensors evicted : pendingRelease) {
			evicted.close();
		}
		pendingRelease.clear();
	}

	/** {@code -Drefusalscope.sae.cache.mb}, default 4096. */
	static long saeBudgetBytes() {
		return Long.getLong("refusalscope.sae.cache.mb", 4096L) * 1024 * 1024;
	}

	@Override
	public ForwardResult forward(ForwardRequest request) {
		try {
			return Djl.withBundleClassLoader(() -> new ForwardPass(this, transformer).forward(request));
		} finally {
			releaseEvicted();
		}
	}

	@Override
	public List<GenerationResult> generate(GenerationRequest request) {
		try {
			return Djl.withBundleClassLoader(() -> new Generator(this, transformer).generate(request));
		} finally {
			releaseEvicted();
		}
	}

	NDManager manager() {
		return manager;
	}

	EditSchedule schedule(List<InterventionPlan> plansPerRow) {
		return new EditSchedule(plansPerRow, this::sae, config.hiddenSize());
	}

	String decodeCompletion(int[] ids) {
		return decode(ids, true);
	}

	/** Rows whose token sequences are identical share the computation of the blocks that no row edits. */
	static Transformer.Sharing sharing(List<int[]> sequences, int uneditedBlocks) {
		if(uneditedBlocks <= 0 || sequences.size() < 2) {
			return null;
		}
		Map<String, Integer> uniqueOf = new LinkedHashMap<>();
		List<Integer> uniqueRows = new ArrayList<>();
		int[] rowToUnique = new int[sequences.size()];
		for(int row = 0; row < sequences.size(); row++) {
			String key = Arrays.toString(sequences.get(row));
			Integer unique = uniqueOf.get(key);
			if(unique == null) {
				unique = uniqueRows.size();
				uniqueOf.put(key, unique);
				uniqueRows.add(row);
			}
			rowToUnique[row] = unique;
		}
		if(uniqueRows.size() == sequences.size()) {
			return null;
		}
		return new Transformer.Sharing(uneditedBlocks, uniqueRows.stream().mapToInt(Integer::intValue).toArray(),
				rowToUnique);
	}

	static float[][][] toRows(NDArray array) {
		int rows = (int) array.getShape().get(0);
		int positions = (int) array.getShape().get(1);
		int width = (int) array.getShape().get(2);
		float[] flat = array.toType(DataType.FLOAT32, false).toFloatArray();
		float[][][] out = new float[rows][positions][width];
		for(int r = 0; r < rows; r++) {
			for(int p = 0; p < positions; p++) {
				System.arraycopy(flat, (r * positions + p) * width, out[r][p], 0, width);
			}
		}
		return out;
	}

	static Map<ActivationCapture, float[][][]> toRows(Map<ActivationCapture, NDArray> arrays) {
		Map<ActivationCapture, float[][][]> out = new LinkedHashMap<>();
		arrays.forEach((capture, array) -> out.put(capture, toRows(array)));
		return out;
	}

	@Override
	public void close() {
		for(SaeTensors tensors : saes.values()) {
			tensors.close();
		}
		saes.clear();
		saeOrder.clear();
		releaseEvicted();
		tokenizer.close();
		manager.close();
		try {
			checkpoint.close();
		} catch(IOException e) {
			// nothing useful to do: the mappings are released with the buffers
		}
	}
}
