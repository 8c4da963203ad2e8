// Which Dify apps are offered as language models (dify.languageModels.apps), and the inputs a model request sends.
import assert from 'node:assert/strict';
import { defaultInputs, enabledChatApps } from '../../src/core/lm-models.js';
import type { AppProfile, Profile } from '../../src/core/profile-store.js';
import type { AppParameters } from '../../src/dify/index.js';
import { buildApps, parametersOf } from '../dify-server/apps/fixtures.js';

const app = (id: string, label: string, mode: string, appName = label): AppProfile => ({
  kind: 'app',
  id,
  label,
  appName,
  mode,
  description: '',
  baseUrl: 'https://dify.example.com:8443/v1',
});
const profiles: Profile[] = [
  app('a', 'Support Bot', 'chat'),
  app('b', 'Researcher', 'agent-chat', 'Research Agent'),
  app('c', 'Docs Flow', 'advanced-chat'),
  app('d', 'New Agent', 'agent'),
  app('e', 'Summarise', 'completion'),
  app('f', 'Release Notes', 'workflow'),
  { kind: 'knowledge', id: 'k', label: 'Handbook', baseUrl: 'https://dify.example.com/v1' },
];
const ids = (setting: unknown) => enabledChatApps(profiles, setting).map((m) => m.id);
const form = (handle: string) => parametersOf(buildApps().find((a) => a.handle === handle)!) as unknown as AppParameters;

describe('language models: which apps', () => {
  it('["*"] (the default) and a missing or malformed setting offer every chat app, in order; never a text generator, workflow or knowledge key', () => {
    assert.deepEqual(ids(['*']), ['a', 'b', 'c', 'd']);
    assert.deepEqual(ids(undefined), ['a', 'b', 'c', 'd']);
    assert.deepEqual(ids('Support Bot'), ['a', 'b', 'c', 'd']);
  });

  it('[] offers none', () => {
    assert.deepEqual(ids([]), []);
  });

  it('names pick apps by the name shown or the name in Dify, ignoring case and surrounding spaces', () => {
    assert.deepEqual(ids(['support bot', ' Research Agent ']), ['a', 'b']);
    assert.deepEqual(ids(['Summarise', 'Handbook', 42]), [], 'a text generator, a knowledge key or a number is no chat app');
  });

  it("tells the model's host and mode", () => {
    assert.deepEqual(enabledChatApps(profiles, ['Docs Flow']), [{ id: 'c', label: 'Docs Flow', mode: 'advanced-chat', host: 'dify.example.com:8443' }]);
  });
});

describe('language models: inputs', () => {
  it("sends every field's default; required fields without one are missing (by label)", () => {
    assert.deepEqual(defaultInputs(form('chat')), { inputs: { tone: 'friendly' }, missing: ['Your name'] });
    assert.deepEqual(defaultInputs(form('advancedChat')), { inputs: { language: 'English' }, missing: [] });
    assert.deepEqual(defaultInputs(form('agent')), { inputs: {}, missing: [] });
  });

  it('a required file field is missing too (a model request has no files to give)', () => {
    const parameters = {
      user_input_form: [
        { file: { variable: 'doc', label: 'Document', required: true, allowed_file_types: ['document'] } },
        { 'file-list': { variable: 'imgs', label: 'Images', required: false, allowed_file_types: ['image'] } },
        { checkbox: { variable: 'ok', label: 'OK', required: true } },
      ],
    } as unknown as AppParameters;
    assert.deepEqual(defaultInputs(parameters).missing, ['Document']);
  });
});
