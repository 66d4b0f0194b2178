import React, {useId, type ReactNode} from 'react';
import clsx from 'clsx';
import styles from './styles.module.css';

export interface Lane {
  id: string;
  label: string;
}

export interface Message {
  from: string;
  to: string;
  label: string;
  /** The walkthrough step this message belongs to. */
  step: string;
  /** A reply or redirect, drawn dashed. */
  reply?: boolean;
}

export interface SequenceDiagramProps {
  title: string;
  lanes: Lane[];
  messages: Message[];
  /** Messages of this step are highlighted. */
  activeStep?: string;
  /** Messages of these steps are drawn as done. */
  completedSteps?: readonly string[];
}

const LANE_WIDTH = 150;
const HEADER_HEIGHT = 52;
const ROW_HEIGHT = 44;
const SELF_WIDTH = 36;

/**
 * A sequence diagram drawn as SVG: one lifeline per lane and one arrow per
 * message. The messages of the active step are highlighted; the caption lists
 * every message as text, so the diagram reads the same without the picture.
 */
export default function SequenceDiagram({title, lanes, messages, activeStep, completedSteps = []}: SequenceDiagramProps): ReactNode {
  // Marker references are url(#id): keep the id to characters every browser accepts there.
  const id = `sequence-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const width = lanes.length * LANE_WIDTH;
  const height = HEADER_HEIGHT + (messages.length + 0.5) * ROW_HEIGHT;
  const centerOf = (laneId: string) => {
    const index = lanes.findIndex((lane) => lane.id === laneId);
    return index * LANE_WIDTH + LANE_WIDTH / 2;
  };
  const activeLabels = messages.filter((message) => message.step === activeStep).map((message) => message.label);
  const markerDone = `${id}-arrow-done`;
  const markerActive = `${id}-arrow-active`;
  const markerIdle = `${id}-arrow-idle`;

  return (
    <figure className={styles.figure}>
      {/* Focusable so keyboard users can scroll it sideways on narrow screens. */}
      <div className={styles.scroll} tabIndex={0} role="group" aria-label={`${title} diagram`}>
        <svg
          className={styles.svg}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-labelledby={`${id}-title`}
          aria-describedby={`${id}-caption`}>
          <title id={`${id}-title`}>
            {title}
            {activeLabels.length > 0 ? `. Current step: ${activeLabels.join('; ')}` : ''}
          </title>
          <defs>
            {[
              [markerIdle, styles.headIdle],
              [markerDone, styles.headDone],
              [markerActive, styles.headActive],
            ].map(([markerId, className]) => (
              <marker key={markerId} id={markerId} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path d="M 0 0 L 10 5 L 0 10 z" className={className} />
              </marker>
            ))}
          </defs>
          {lanes.map((lane, index) => {
            const x = index * LANE_WIDTH + LANE_WIDTH / 2;
            return (
              <g key={lane.id}>
                <rect className={styles.laneBox} x={x - LANE_WIDTH / 2 + 8} y={6} width={LANE_WIDTH - 16} height={32} rx={6} />
                <text className={styles.laneLabel} x={x} y={27} textAnchor="middle">
                  {lane.label}
                </text>
                <line className={styles.lifeline} x1={x} y1={38} x2={x} y2={height - 4} />
              </g>
            );
          })}
          {messages.map((message, index) => {
            const y = HEADER_HEIGHT + (index + 0.5) * ROW_HEIGHT;
            const x1 = centerOf(message.from);
            const x2 = centerOf(message.to);
            const state = message.step === activeStep ? 'active' : completedSteps.includes(message.step) ? 'done' : 'idle';
            const marker = state === 'active' ? markerActive : state === 'done' ? markerDone : markerIdle;
            const arrowClass = clsx(styles.arrow, styles[state], message.reply && styles.reply);
            const labelX = x1 === x2 ? x1 + SELF_WIDTH + 6 : (x1 + x2) / 2;
            return (
              <g key={`${message.step}-${index}`}>
                {x1 === x2 ? (
                  <path
                    className={arrowClass}
                    d={`M ${x1} ${y - 10} h ${SELF_WIDTH} v 16 h ${-SELF_WIDTH + 2}`}
                    fill="none"
                    markerEnd={`url(#${marker})`}
                  />
                ) : (
                  <line className={arrowClass} x1={x1} y1={y} x2={x2 + (x2 > x1 ? -2 : 2)} y2={y} markerEnd={`url(#${marker})`} />
                )}
                <text
                  className={clsx(styles.messageLabel, styles[`${state}Label`])}
                  x={labelX}
                  y={x1 === x2 ? y + 2 : y - 7}
                  textAnchor={x1 === x2 ? 'start' : 'middle'}>
                  {message.label}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
      <figcaption id={`${id}-caption`} className={styles.caption}>
        <details>
          <summary>{title}: the messages as text</summary>
          <ol>
            {messages.map((message, index) => {
              const from = lanes.find((lane) => lane.id === message.from)?.label ?? message.from;
              const to = lanes.find((lane) => lane.id === message.to)?.label ?? message.to;
              const current = message.step === activeStep;
              return (
                <li key={`${message.step}-${index}`} className={clsx(current && styles.currentItem)}>
                  {from === to ? `${from}: ${message.label}` : `${from} → ${to}: ${message.label}`}
                  {current ? ' (current step)' : ''}
                </li>
              );
            })}
          </ol>
        </details>
      </figcaption>
    </figure>
  );
}
