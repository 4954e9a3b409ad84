from common import *
import random; random.seed(9)
b=sky("#f2c48d","#fbe9d2",(200,150,60,"#fff1c9"))+cloud(700,90,.9,.7)+cloud(1000,140,.7,.6)
b+='<path d="M0,330 Q300,315 600,325 T1200,320 L1200,440 L0,440 Z" fill="#8fb06a"/>'
# container stacks
for col in range(9):
    for row in range(random.randint(1,4)):
        b+=container(40+col*100,410-row*36,94,34,random.choice(CONT))
# gantry cranes
for gx in [300,700]:
    b+=f'<g stroke="#1f5f99" stroke-width="9" fill="none"><path d="M{gx},445 L{gx},230 M{gx+200},445 L{gx+200},230 M{gx-20},230 L{gx+220},230 M{gx},300 L{gx+200},300"/></g><rect x="{gx+80}" y="236" width="40" height="18" fill="#333"/>'
# expressway
b+='<rect x="0" y="445" width="1200" height="20" fill="#9aa5b1"/><path d="M0,465 L1200,465 L1200,600 L0,600 Z" fill="#4a4f57"/>'
b+='<path d="M0,530 L1200,530" stroke="#f5f5f5" stroke-width="5" stroke-dasharray="40 30"/><rect x="0" y="600" width="1200" height="75" fill="#7aa65a"/>'
for i in range(12): b+=f'<rect x="{i*100+20}" y="452" width="6" height="14" fill="#ddd"/>'
b+=truck(80,518,"#b8433a")+truck(420,518,"#2e7d4f")+truck(820,588,"#d19a12",True)+truck(1150,588,"#1f5f99",True)
# sign
b+='<rect x="960" y="330" width="14" height="120" fill="#6b7785"/><rect x="880" y="300" width="180" height="46" rx="4" fill="#2e7d4f" stroke="#fff" stroke-width="3"/><text x="970" y="330" font-family="Liberation Sans, Arial" font-size="18" fill="#fff" text-anchor="middle" font-weight="bold">ICD · CẢNG CẠN</text>'
open('dryport.svg','w').write(svg(b))
