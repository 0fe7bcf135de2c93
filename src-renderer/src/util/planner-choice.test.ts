import { describe, expect, it } from 'vitest';
import { ExplainSettingsSchema } from '../../../src-shared/contract';
import { plannerChoice } from './planner-choice';

describe("the investigation's model planner follows the Explain settings", () => {
  const local = ExplainSettingsSchema.parse({});
  const models = [{ path: '/m/tiny.gguf' }, { path: '/m/other.gguf' }];

  it('asks the chosen local model, or the first usable one', () => {
    expect(plannerChoice({ ...local, localModel: '/m/other.gguf' }, 'Local · other.gguf', models)).toEqual({
      backend: 'local',
      model: '/m/other.gguf',
    });
    expect(plannerChoice(local, 'Local · tiny.gguf', models)).toEqual({ backend: 'local', model: '/m/tiny.gguf' });
  });

  it('is null without a usable model: no settings, no model, a chosen file that is gone', () => {
    expect(plannerChoice(null, null, models)).toBeNull();
    expect(plannerChoice(local, null, [])).toBeNull();
    expect(plannerChoice({ ...local, localModel: '/m/gone.gguf' }, 'Local · gone.gguf (not found)', models)).toBeNull();
  });

  it('asks Bedrock for its model id, and nothing without one', () => {
    const bedrock = ExplainSettingsSchema.parse({ backend: 'bedrock', bedrock: { modelId: 'anthropic.claude-3-haiku-20240307-v1:0' } });
    expect(plannerChoice(bedrock, 'Bedrock · claude-3-haiku-20240307', [])).toEqual({
      backend: 'bedrock',
      model: 'anthropic.claude-3-haiku-20240307-v1:0',
    });
    expect(plannerChoice({ ...bedrock, bedrock: { ...bedrock.bedrock, modelId: '' } }, null, [])).toBeNull();
  });
});
