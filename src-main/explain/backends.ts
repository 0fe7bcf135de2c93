import { AppError } from '../../src-shared/errors';
import type { ExplainSettings } from '../../src-shared/contract';
import { BedrockChat } from './bedrock';
import type { ChatBackend } from './chat';
import { LocalChat, type ModelLauncher } from './local/local-model';
import { describeModel, recommendedRuntime } from './local/models';

/**
 * The backend the settings name: a local GGUF model (checked by its header first, with a
 * context size and thread count for this machine unless set) or a Bedrock model.
 */
export async function openBackend(settings: ExplainSettings, launchModel: ModelLauncher): Promise<ChatBackend> {
  if (settings.backend === 'bedrock') {
    const b = settings.bedrock;
    if (!b.modelId.trim())
      throw new AppError(
        'LLM_MODEL_NOT_FOUND',
        'no Bedrock model id is set',
        'Set a model id, for example anthropic.claude-3-haiku-20240307-v1:0.',
      );
    return new BedrockChat({
      modelId: b.modelId.trim(),
      region: b.region || null,
      profile: b.profile || null,
      endpoint: b.endpoint || null,
    });
  }
  const file = settings.localModel;
  if (!file)
    throw new AppError(
      'MODEL_MISSING',
      'no local model is chosen',
      'Add a GGUF model (Add model…, or put one in the models folder) and pick it, or use Bedrock.',
    );
  const info = await describeModel(file, 'added');
  if (info.problem)
    throw new AppError(
      info.sizeBytes === 0 && /does not exist/.test(info.problem) ? 'MODEL_MISSING' : 'MODEL_INVALID',
      `${file}: ${info.problem}`,
      'Pick a GGUF model file (llama.cpp format).',
    );
  const runtime = recommendedRuntime(info.contextLength);
  return new LocalChat(launchModel, {
    modelPath: file,
    contextSize: settings.contextSize ?? runtime.contextSize,
    threads: settings.threads ?? runtime.threads,
    answerTokens: settings.maxTokens,
  });
}
